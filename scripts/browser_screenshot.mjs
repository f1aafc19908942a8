#!/usr/bin/env node
// Screenshot of Neo4j Browser running one of the queries under cypher/ (for docs/neo4j.md).
//
//   scripts/neo4j-dev start                      # serves Browser at http://127.0.0.1:7474/browser/
//   kg load out/ --neo4j bolt://127.0.0.1:7687 --neo4j-password kg-dev-password
//   npm install --prefix .neo4j-dev/node playwright-core@1   # once; .neo4j-dev/ is git-ignored
//   apt-get install -y chromium fonts-noto-cjk              # once (Debian); fonts for Chinese
//   node scripts/browser_screenshot.mjs [cypher/top_cooccurring.cypher] [docs/neo4j-browser.png]
//
// It opens Browser in headless Chromium, logs in (user neo4j, $NEO4J_PASSWORD), sets the
// query's parameters from its "// Example: {...}" header line with :params, runs the query and
// saves a screenshot. Environment: NEO4J_HTTP_PORT (7474), NEO4J_BOLT_PORT (7687),
// NEO4J_PASSWORD (kg-dev-password), CHROMIUM (/usr/bin/chromium).
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(repo, ".neo4j-dev", "node", "package.json"));
let chromium;
try {
  ({ chromium } = require("playwright-core"));
} catch {
  console.error("playwright-core missing: npm install --prefix .neo4j-dev/node playwright-core@1");
  process.exit(2);
}

const queryFile = path.resolve(process.argv[2] ?? path.join(repo, "cypher", "top_cooccurring.cypher"));
const output = path.resolve(process.argv[3] ?? path.join(repo, "docs", "neo4j-browser.png"));
const httpPort = process.env.NEO4J_HTTP_PORT ?? "7474";
const boltPort = process.env.NEO4J_BOLT_PORT ?? "7687";
const password = process.env.NEO4J_PASSWORD ?? "kg-dev-password";

const text = readFileSync(queryFile, "utf8");
const example = text.match(/^\/\/ Example: (\{.*\})$/m);
const params = example ? JSON.parse(example[1]) : {};
// Browser's editor runs what it is given; drop the header comment, keep the statement.
const statement = text.split("\n").filter((l) => !l.startsWith("//")).join("\n").trim().replace(/;$/, "");

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
  const url = `http://127.0.0.1:${httpPort}/browser/?dbms=${encodeURIComponent(`bolt://neo4j@127.0.0.1:${boltPort}`)}`;
  await page.goto(url, { waitUntil: "networkidle", timeout: 60_000 });

  // Log in: the connect form is shown on first load.
  const passwordField = page.locator('[data-testid="password"]');
  await passwordField.waitFor({ timeout: 60_000 });
  const user = page.locator('[data-testid="username"]');
  if (await user.count()) await user.fill("neo4j");
  await passwordField.fill(password);
  await page.locator('[data-testid="connect"]').click();
  await page.getByText("You are connected as user", { exact: false }).first().waitFor({ timeout: 60_000 });

  async function run(command) {
    const editor = page.locator('[data-testid="activeEditor"]').first();
    await editor.click();
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Delete");
    await page.keyboard.insertText(command);
    await page.locator('[data-testid="editor-Run"]').first().click();
  }

  // ":param k => value" evaluates the value as Cypher on the server, so integers stay integers.
  for (const [key, value] of Object.entries(params)) {
    await run(`:param ${key} => ${JSON.stringify(value)}`);
    await page.waitForTimeout(800);
  }
  await run(statement);
  // Wait for the result frame of the query (a table or a graph) to render.
  await page.locator('[data-testid="frame"]').first().waitFor({ timeout: 60_000 });
  await page.waitForTimeout(3000);
  await page.screenshot({ path: output });
  console.log(`wrote ${output}`);
} finally {
  await browser.close();
}
