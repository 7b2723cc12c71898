// Compiles cadre.scss and copies GOV.UK Frontend's script and images into Cadre's static folder.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import * as sass from "sass";

const out = "../cadre/core/static/govuk";
const dist = "node_modules/govuk-frontend/dist/govuk";
mkdirSync(`${out}/assets`, { recursive: true });
const result = sass.compile("cadre.scss", { style: "compressed", loadPaths: ["node_modules"], quietDeps: true, silenceDeprecations: ["import", "global-builtin", "slash-div"] });
writeFileSync(`${out}/cadre.min.css`, result.css);
cpSync(`${dist}/govuk-frontend.min.js`, `${out}/govuk-frontend.min.js`);

console.log(`built ${out}/cadre.min.css (${result.css.length} bytes)`);
