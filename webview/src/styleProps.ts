// Styles set through the CSSOM (element.style), never through the style attribute: Lit's
// styleMap writes the attribute on first render, which the panel's CSP (no 'unsafe-inline')
// blocks. Use as a property binding: `.style=${styleProps({ width: '40%' })}`.
import { noChange } from 'lit';
import { Directive, PartType, directive, type PartInfo, type PropertyPart } from 'lit/directive.js';

class StyleProps extends Directive {
  private previous: Record<string, string> = {};

  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.PROPERTY || info.name !== 'style') throw new Error('styleProps belongs in a .style property binding');
  }

  override update(part: PropertyPart, [props]: [Record<string, string>]) {
    const style = (part.element as HTMLElement).style;
    for (const [key, value] of Object.entries(props)) {
      if (this.previous[key] === value) continue;
      style.setProperty(
        key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`),
        value,
      );
      this.previous[key] = value;
    }
    return noChange;
  }

  render(_props: Record<string, string>) {
    return noChange;
  }
}

export const styleProps = directive(StyleProps);
