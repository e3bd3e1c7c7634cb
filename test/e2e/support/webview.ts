// Reading and driving the report panel's webview (vscode-elements components) from a test.
import type { Locator } from 'playwright-core';

/** The element's text, trimmed; '' while it is absent (for expect.poll). */
export const textOf = (l: Locator) =>
  l
    .first()
    .innerText({ timeout: 2_000 })
    .then((t) => t.trim())
    .catch(() => '');

/** An attribute of the element; null while it or the attribute is absent. */
export const attrOf = (l: Locator, name: string) =>
  l
    .first()
    .getAttribute(name, { timeout: 2_000 })
    .catch(() => null);

type FieldElement = {
  value: string;
  dispatchEvent(event: unknown): boolean;
  ownerDocument: { defaultView: { Event: new (type: string, init: object) => unknown } };
};

/** Sets a vscode-elements field's value and fires the event the panel listens to. */
export const setValue = (l: Locator, value: string, event: 'change' | 'input') =>
  l.evaluate(
    (el: unknown, [v, e]: string[]) => {
      const field = el as FieldElement;
      field.value = v!;
      field.dispatchEvent(new field.ownerDocument.defaultView.Event(e!, { bubbles: true }));
    },
    [value, event],
  );
