// @ts-check
/**
 * StrykerJS ignorer for the equivalent mutants listed in stryker.config.mjs (`equivalentMutants`): a mutant
 * whose code cannot change any observable behaviour is not generated, and the list says why for each.
 * An entry names the file and the source of the smallest expression or statement to leave alone (compared
 * with runs of white space as one space).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { declareClassPlugin, PluginKind } from '@stryker-mutator/api/plugin';
import { equivalentMutants } from '../../stryker.config.mjs';

/** @param {string} s */
const squash = (s) => s.replace(/\s+/g, ' ').trim();

/** @type {Map<string, string>} */
const sources = new Map();
/** @param {string} file */
const sourceOf = (file) => {
  let text = sources.get(file);
  if (text === undefined) {
    text = readFileSync(file, 'utf8');
    sources.set(file, text);
  }
  return text;
};

class EquivalentMutantsIgnorer {
  /** @param {any} nodePath a Babel NodePath */
  shouldIgnore(nodePath) {
    const node = nodePath.node;
    const filename = nodePath.hub?.file?.opts?.filename ?? node?.loc?.filename;
    if (typeof filename !== 'string' || typeof node.start !== 'number') return undefined;
    const relative = path.relative(process.cwd(), filename).split(path.sep).join('/');
    const entries = equivalentMutants.filter((e) => relative.endsWith(e.file));
    if (entries.length === 0) return undefined;
    const text = nodePath.hub?.getCode?.() ?? sourceOf(filename);
    const code = squash(text.slice(node.start, node.end));
    const hit = entries.find((e) => squash(e.code) === code);
    return hit ? `Equivalent: ${hit.reason}` : undefined;
  }
}

export const strykerPlugins = [
  declareClassPlugin(PluginKind.Ignore, 'equivalent-mutants', EquivalentMutantsIgnorer),
];
