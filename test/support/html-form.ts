/**
 * Reading and submitting an HTML form without a browser, for the tools that drive the apps over plain HTTP
 * (the benchmark's virtual users, the scale-out tests). Reads only the markup our own pages render.
 */

/** What a browser would send for a form: where, how, and the fields. */
export interface FormSubmission {
  url: string;
  method: string;
  /** POST body; absent for GET, whose fields are in `url`. */
  body?: URLSearchParams;
}

export interface FormOptions {
  /** Picks the form whose action matches (default: the first form). */
  action?: RegExp;
  /** The submit button pressed, as its name and value (e.g. `{ decision: 'allow' }`). */
  button?: Record<string, string>;
}

/**
 * The submission of the form in `body` (a page at `pageUrl`): its prefilled and hidden fields (checked boxes
 * only), with `fields` overriding them, plus the pressed button. Undefined when no form matches.
 */
export function formSubmission(pageUrl: string, body: string, fields: Record<string, string> = {}, options: FormOptions = {}): FormSubmission | undefined {
  const forms = [...body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)];
  const form = forms.find((f) => (options.action ? options.action.test(attr(f[1] ?? '', 'action') ?? '') : true));
  if (!form) return undefined;
  const [, formAttributes = '', inner = ''] = form;
  const data = new URLSearchParams();
  for (const [, inputAttributes = ''] of inner.matchAll(/<input\b([^>]*)>/gi)) {
    const name = attr(inputAttributes, 'name');
    const type = (attr(inputAttributes, 'type') ?? 'text').toLowerCase();
    if (!name || type === 'submit' || type === 'button' || name in fields) continue;
    if ((type === 'checkbox' || type === 'radio') && !/\bchecked\b/i.test(inputAttributes)) continue;
    data.append(name, attr(inputAttributes, 'value') ?? '');
  }
  for (const [name, value] of Object.entries({ ...fields, ...options.button })) data.append(name, value);
  const action = new URL(attr(formAttributes, 'action') ?? pageUrl, pageUrl).href;
  const method = (attr(formAttributes, 'method') ?? 'GET').toUpperCase();
  if (method !== 'GET') return { url: action, method, body: data };
  const target = new URL(action);
  target.search = data.toString();
  return { url: target.href, method };
}

// The entities `html` (./html.ts) writes, plus the common hex forms.
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#96': '`', '#61': '=', '#x27': "'", '#x2F': '/' };

/** The value of attribute `name` in a tag's attribute text (double- or single-quoted, or bare), entities decoded. */
function attr(attributes: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(attributes);
  if (!match) return undefined;
  return (match[1] ?? match[2] ?? match[3] ?? '').replace(/&(amp|lt|gt|quot|#39|#96|#61|#x27|#x2F);/g, (m, n: string) => ENTITIES[n] ?? m);
}
