/** Finds a form control by the text of its <label>, as a person or screen reader would. */
export function byLabel<T extends HTMLElement = HTMLInputElement>(
  root: HTMLElement,
  text: string,
): T {
  const label = Array.from(root.querySelectorAll('label')).find(
    (l) => l.textContent?.trim() === text,
  );
  if (!label) throw new Error(`No label "${text}"`);
  const control = label.htmlFor
    ? (root.ownerDocument.getElementById(label.htmlFor) as T | null)
    : label.querySelector<T>('input,select,textarea');
  if (!control) throw new Error(`Label "${text}" labels nothing`);
  return control;
}

export function byRole(root: HTMLElement, selector: string, text: string): HTMLElement {
  const el = Array.from(root.querySelectorAll<HTMLElement>(selector)).find(
    (e) => e.textContent?.trim() === text,
  );
  if (!el) throw new Error(`No ${selector} "${text}"`);
  return el;
}

export function type(control: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  control.value = value;
  control.dispatchEvent(new Event('input'));
  control.dispatchEvent(new Event('blur'));
}

export function choose(select: HTMLSelectElement, value: string): void {
  select.value = value;
  select.dispatchEvent(new Event('change'));
}
