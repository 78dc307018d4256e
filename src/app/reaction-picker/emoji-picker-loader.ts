import { DOCUMENT, inject, Injectable } from '@angular/core';

/** Where the build puts the emoji data (angular.json copies it from `emoji-picker-element-data`). */
export const EMOJI_DATA_PATH = 'emoji/data.json';

/**
 * Creates `<emoji-picker>` elements (`emoji-picker-element`). The library and its data are loaded
 * only when the first picker opens: the code is a lazy chunk of the build, and the emoji data
 * (about 40 kB compressed) is one of the app's own files, not the CDN the library would fetch it
 * from by default, which the Content-Security-Policy (`connect-src 'self'`) would refuse and an
 * offline install cannot reach. The library keeps the data, the skin tone chosen and the emoji
 * used most in IndexedDB.
 *
 * The library styles its shadow root with a `<style>` element, which the policy refuses (styles
 * need the page's nonce): its rules are moved to a constructed stylesheet, which the policy
 * allows, before the element is shown. It also sets `style` attributes from script
 * (`setAttribute('style', …)`: its grid columns, the tab indicator, the skin tone list), which
 * the policy refuses too; see {@link setStyleAttributesThroughCssom}.
 */
@Injectable({ providedIn: 'root' })
export class EmojiPickerLoader {
  private readonly document = inject(DOCUMENT);
  private loading: Promise<typeof import('emoji-picker-element')> | null = null;

  async create(): Promise<HTMLElement> {
    this.loading ??= import('emoji-picker-element').catch((error: unknown) => {
      // Offline, or a new deployment replaced the chunk: try again next time.
      this.loading = null;
      throw error;
    });
    const { Picker } = await this.loading;
    setStyleAttributesThroughCssom();
    const picker = new Picker({
      dataSource: new URL(EMOJI_DATA_PATH, this.document.baseURI).href,
      locale: 'en',
    });
    adoptShadowStyles(picker);
    picker.style.width = '100%';
    picker.style.height = '100%';
    picker.style.setProperty('--background', 'var(--surface)');
    picker.style.setProperty('--border-color', 'var(--border)');
    picker.style.setProperty('--outline-color', 'var(--accent)');
    picker.style.setProperty('--indicator-color', 'var(--accent)');
    picker.style.setProperty('--input-font-color', 'var(--text)');
    picker.style.setProperty('--input-border-color', 'var(--border)');
    picker.style.setProperty('--category-font-color', 'var(--muted)');
    picker.dataset['testid'] = 'emoji-picker';
    return picker;
  }
}

/** Moves the `<style>` elements of a shadow root into constructed stylesheets (allowed by the CSP). */
function adoptShadowStyles(element: HTMLElement): void {
  const root = element.shadowRoot;
  if (!root) return;
  const sheets: CSSStyleSheet[] = [];
  for (const style of Array.from(root.querySelectorAll('style'))) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(style.textContent ?? '');
    sheets.push(sheet);
    style.remove();
  }
  if (sheets.length > 0) root.adoptedStyleSheets = [...root.adoptedStyleSheets, ...sheets];
}

let cssomStyleAttributes = false;

/**
 * Makes `element.setAttribute('style', text)` from script set `element.style.cssText` instead:
 * the same declarations, through the CSS object model, which the Content-Security-Policy does
 * not govern (a script may always set `element.style`). Style attributes in HTML the parser reads
 * stay refused, which is what the policy protects against; nothing else in the app sets a style
 * attribute from script (Angular's `[style.x]` bindings already use the object model).
 */
function setStyleAttributesThroughCssom(): void {
  if (cssomStyleAttributes) return;
  cssomStyleAttributes = true;
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (this: Element, name: string, value: string): void {
    if (name.toLowerCase() === 'style' && (this instanceof HTMLElement || this instanceof SVGElement)) {
      this.style.cssText = String(value);
      return;
    }
    setAttribute.call(this, name, value);
  };
}
