// Where things go on the screen for a terminal size: header, list body, preview and status lines, panes.

/** The smallest terminal the UI draws in; below it says so. */
export const MIN_SIZE = { columns: 40, rows: 10 } as const;

/** Heights and width of the screen's parts. */
export interface Layout {
  width: number;
  /** Lines drawn: one less than the terminal, so the terminal never scrolls. */
  height: number;
  header: number;
  /** List rows. */
  body: number;
  /** Preview (2 lines) and status line. */
  footer: number;
  /** Lines of a pane (details, granted vs used, help), which replaces the body and the preview. */
  pane: number;
  tooSmall: boolean;
}

/** The layout of a `columns` × `rows` terminal. */
export function layout(size: { columns: number; rows: number }): Layout {
  const width = Math.max(1, size.columns);
  const height = Math.max(1, size.rows - 1);
  const header = 3;
  const footer = 3;
  return {
    width,
    height,
    header,
    body: Math.max(1, height - header - footer),
    footer,
    pane: Math.max(1, height - header - 1),
    tooSmall: size.columns < MIN_SIZE.columns || size.rows < MIN_SIZE.rows,
  };
}
