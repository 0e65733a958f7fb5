// The Python host (python/, import name lockstep): runs its pytest suite with the venv that
// .ci/run makes (.venv: python3 -m venv .venv; pip install ./python[torch] pytest Pillow
// torchvision) and turns every pytest test into one uvu test here, so the suite's
// "N passed, N failed" counts them. A missing venv or a pytest that cannot start fails with
// the reason; nothing is skipped.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const PYTHON = process.env.LOCKSTEP_PYTHON ?? join(ROOT, ".venv/bin/python");
export const SETUP =
  "python3 -m venv .venv && .venv/bin/pip install --retries 0 './python[torch]' pytest Pillow 'torchvision==0.28.*' (.ci/run does this)";

interface Case {
  name: string;
  failure: string | null;
}

/** The testcases of a junit XML report: name, and the failure/error/skip text (null when it passed). */
function junitCases(xml: string): Case[] {
  const unescape = (s: string) =>
    s
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, "&");
  const cases: Case[] = [];
  for (const m of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const attr = (k: string) => unescape(new RegExp(`\\b${k}="([^"]*)"`).exec(m[1]!)?.[1] ?? "");
    const body = m[3] ?? "";
    const bad = /<(failure|error|skipped)\b([^>]*)>?([\s\S]*?)(<\/\1>|$)/.exec(body);
    const text = bad
      ? `${bad[1]}: ${unescape(/message="([^"]*)"/.exec(bad[2] ?? "")?.[1] ?? "")}\n${unescape(bad[3] ?? "").slice(-4000)}`
      : null;
    cases.push({ name: `${attr("classname").replace(/^python\.tests\./, "")}::${attr("name")}`, failure: text });
  }
  return cases;
}

function runPytest(): Case[] | Error {
  if (!existsSync(PYTHON)) return new Error(`the Python venv is missing (${PYTHON}): ${SETUP}`);
  const dir = mkdtempSync(join(tmpdir(), "lockstep-pytest-"));
  try {
    const report = join(dir, "junit.xml");
    const r = spawnSync(PYTHON, ["-m", "pytest", "-q", "--color=no", "-p", "no:cacheprovider", `--junitxml=${report}`, "python/tests"], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 900_000,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
    });
    const tail = `${r.stdout ?? ""}${r.stderr ?? ""}`.slice(-3000);
    if (r.error) return new Error(`pytest could not run: ${r.error.message}`);
    if (!existsSync(report))
      return new Error(`pytest wrote no report (exit ${r.status}); is pytest installed in the venv? ${SETUP}\n${tail}`);
    const cases = junitCases(readFileSync(report, "utf8"));
    if (cases.length === 0) return new Error(`pytest ran no test (exit ${r.status}):\n${tail}`);
    console.log(
      `python (pytest): ${
        tail
          .split("\n")
          .filter((l) => /passed|failed|error/.test(l))
          .slice(-1)[0] ?? ""
      }`,
    );
    return cases;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const result = runPytest();
if (result instanceof Error) {
  test("python: the pytest suite runs", () => {
    throw result;
  });
} else {
  for (const c of result) {
    test(`python: ${c.name}`, () => {
      assert.ok(c.failure === null, c.failure ?? "");
    });
  }
}

test.run();
