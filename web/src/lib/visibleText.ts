/**
 * Bidirectional formatting characters (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI, LRM, RLM) in
 * user-entered text can make `evil\u202Egnp.exe` look like `evilexe.png`. Text a user typed (titles,
 * names, file names) is shown with each of them as a visible marker (⟦U+202E⟧) instead of obeying it.
 */
const BIDI_CONTROLS = /[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function showBidiControls(text: string): string;
export function showBidiControls(text: string | null | undefined): string | null | undefined;
export function showBidiControls(text: string | null | undefined): string | null | undefined {
  if (text == null) return text;
  return text.replace(
    BIDI_CONTROLS,
    (c) => `⟦U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟧`,
  );
}
