// CSS files imported as text (esbuild's text loader): adopted as constructable stylesheets,
// so the page needs no <link> or <style> under its CSP.
declare module '*.css' {
  const text: string;
  export default text;
}
