// Structural checks of a SARIF 2.1.0 log against the properties the 2.1.0
// schema marks required, and the cross-references a consumer relies on.
import assert from 'node:assert/strict';

type Json = Record<string, unknown>;

function obj(v: unknown, where: string): Json {
  assert.ok(v !== null && typeof v === 'object' && !Array.isArray(v), `${where}: object expected`);
  return v as Json;
}

function arr(v: unknown, where: string): unknown[] {
  assert.ok(Array.isArray(v), `${where}: array expected`);
  return v;
}

function checkRegion(v: unknown, where: string): void {
  const region = obj(v, where);
  assert.ok(
    Number.isInteger(region.startLine) && (region.startLine as number) >= 1,
    `${where}.startLine >= 1`,
  );
  if (region.endLine !== undefined)
    assert.ok((region.endLine as number) >= (region.startLine as number), `${where}.endLine >= startLine`);
}

function checkLocation(v: unknown, where: string, artifacts: number): void {
  const loc = obj(v, where);
  const phys = obj(loc.physicalLocation, `${where}.physicalLocation`);
  const art = obj(phys.artifactLocation, `${where}.physicalLocation.artifactLocation`);
  assert.equal(typeof art.uri, 'string', `${where}: artifactLocation.uri`);
  if (art.index !== undefined)
    assert.ok((art.index as number) < artifacts, `${where}: artifact index in range`);
  checkRegion(phys.region, `${where}.physicalLocation.region`);
}

/** Throws (an assertion error naming the path) when the log is not valid SARIF 2.1.0. */
export function checkSarif(log: unknown): void {
  const root = obj(log, 'log');
  assert.equal(root.version, '2.1.0');
  assert.equal(typeof root.$schema, 'string');
  const runs = arr(root.runs, 'runs');
  assert.ok(runs.length >= 1);
  runs.forEach((r, ri) => {
    const run = obj(r, `runs[${ri}]`);
    const driver = obj(obj(run.tool, 'tool').driver, 'tool.driver');
    assert.equal(typeof driver.name, 'string');
    const rules = arr(driver.rules ?? [], 'rules').map((x, i) => obj(x, `rules[${i}]`));
    const ids = new Set<string>();
    for (const rule of rules) {
      assert.equal(typeof rule.id, 'string');
      assert.ok(!ids.has(rule.id as string), `rule ${String(rule.id)} listed once`);
      ids.add(rule.id as string);
      if (rule.helpUri !== undefined) assert.doesNotThrow(() => new URL(rule.helpUri as string));
      const level = obj(rule.defaultConfiguration ?? {}, 'defaultConfiguration').level;
      if (level !== undefined) assert.ok(['none', 'note', 'warning', 'error'].includes(level as string));
    }
    const artifacts = arr(run.artifacts ?? [], 'artifacts').length;
    arr(run.results ?? [], 'results').forEach((x, i) => {
      const res = obj(x, `results[${i}]`);
      const msg = obj(res.message, `results[${i}].message`);
      assert.ok(
        typeof msg.text === 'string' || typeof msg.id === 'string',
        `results[${i}].message text or id`,
      );
      assert.ok(['none', 'note', 'warning', 'error'].includes(res.level as string), `results[${i}].level`);
      if (res.ruleIndex !== undefined) {
        const rule = rules[res.ruleIndex as number];
        assert.ok(rule, `results[${i}].ruleIndex in range`);
        assert.equal(rule.id, res.ruleId, `results[${i}]: ruleIndex and ruleId agree`);
      }
      arr(res.locations ?? [], 'locations').forEach((l, li) =>
        checkLocation(l, `results[${i}].locations[${li}]`, artifacts),
      );
      arr(res.relatedLocations ?? [], 'relatedLocations').forEach((l, li) =>
        checkLocation(l, `results[${i}].relatedLocations[${li}]`, artifacts),
      );
    });
  });
}
