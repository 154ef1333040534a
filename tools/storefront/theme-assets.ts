// The test theme's utility layer (utilities.css): spacing, layout, type and
// colour helpers at four breakpoints, the kind of generated layer a theme
// built with a utility framework ships. Generated here rather than written
// out by hand; real rules a page can use, so the page's CSS weighs what a
// theme's does (base.css alone is about 15 kB; Dawn's home page loads several
// times that), and the blocks are measured against a realistic stylesheet.
const BREAKPOINTS: Array<[string, number | null]> = [
  ["", null],
  ["sm\\:", 750],
  ["md\\:", 990],
  ["lg\\:", 1200],
];
const SPACES = [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8];
const SIDES: Array<[string, string[]]> = [
  ["", [""]],
  ["x", ["-left", "-right"]],
  ["y", ["-top", "-bottom"]],
  ["t", ["-top"]],
  ["b", ["-bottom"]],
  ["l", ["-left"]],
  ["r", ["-right"]],
];
const DISPLAYS = ["block", "inline-block", "inline", "flex", "inline-flex", "grid", "none", "contents"];
const JUSTIFY = ["flex-start", "center", "flex-end", "space-between", "space-around", "space-evenly"];
const ALIGN = ["flex-start", "center", "flex-end", "stretch", "baseline"];
const SIZES = [10, 12, 14, 16, 18, 20, 24, 28, 32, 40, 48];
const WIDTHS = [25, 33.3333, 50, 66.6667, 75, 100];

function rulesFor(prefix: string): string[] {
  const name = (n: number) => String(n).replace(".", "_");
  const rules: string[] = [];
  for (const [property, short] of [["margin", "m"], ["padding", "p"]] as const) {
    for (const [side, suffixes] of SIDES) {
      for (const space of SPACES) {
        rules.push(`.${prefix}${short}${side}-${name(space)}{${suffixes.map((suffix) => `${property}${suffix}:${space}rem`).join(";")}}`);
      }
    }
  }
  // Prefixed (d-flex, not flex) so a utility never shares a name with a component class (.grid).
  for (const display of DISPLAYS) rules.push(`.${prefix}d-${display}{display:${display}}`);
  for (const value of JUSTIFY) rules.push(`.${prefix}justify-${value}{justify-content:${value}}`);
  for (const value of ALIGN) rules.push(`.${prefix}items-${value}{align-items:${value}}`);
  for (const size of SIZES) rules.push(`.${prefix}text-${size}{font-size:${size / 10}rem;line-height:${((size + 8) / size).toFixed(3)}}`);
  for (const width of WIDTHS) rules.push(`.${prefix}w-${name(Math.round(width))}{width:${width}%}`);
  for (let columns = 1; columns <= 6; columns++) rules.push(`.${prefix}grid-cols-${columns}{grid-template-columns:repeat(${columns},minmax(0,1fr))}`);
  for (const space of SPACES) rules.push(`.${prefix}gap-${name(space)}{gap:${space}rem}`);
  for (const align of ["left", "center", "right", "justify"]) rules.push(`.${prefix}text-${align}{text-align:${align}}`);
  for (const weight of [300, 400, 500, 600, 700]) rules.push(`.${prefix}font-${weight}{font-weight:${weight}}`);
  for (let opacity = 0; opacity <= 100; opacity += 10) rules.push(`.${prefix}opacity-${opacity}{opacity:${opacity / 100}}`);
  return rules;
}

export function utilitiesCss(): string {
  const lines = ["/* Utility layer of the test theme (tools/storefront/theme-assets.ts). */"];
  for (const [prefix, width] of BREAKPOINTS) {
    const rules = rulesFor(prefix);
    lines.push(width === null ? rules.join("\n") : `@media screen and (min-width:${width}px){\n${rules.join("\n")}\n}`);
  }
  return `${lines.join("\n")}\n`;
}
