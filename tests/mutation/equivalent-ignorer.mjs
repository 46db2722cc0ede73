// @ts-check
/**
 * StrykerJS ignorer for the equivalent mutants listed in stryker.config.mjs (`equivalentMutants`): a mutant
 * whose code cannot change any observable behaviour is not generated, and the list says why for each.
 * An entry names the file and the exact source of the smallest expression or statement to leave alone.
 */
import path from 'node:path';
import { declareClassPlugin, PluginKind } from '@stryker-mutator/api/plugin';
import { equivalentMutants } from '../../stryker.config.mjs';

class EquivalentMutantsIgnorer {
  /** @param {any} nodePath a Babel NodePath */
  shouldIgnore(nodePath) {
    const filename = nodePath.hub?.file?.opts?.filename;
    if (typeof filename !== 'string') return undefined;
    const relative = path.relative(process.cwd(), filename).split(path.sep).join('/');
    const entries = equivalentMutants.filter((e) => relative.endsWith(e.file));
    if (entries.length === 0) return undefined;
    const source = nodePath.getSource?.();
    if (!source) return undefined;
    const hit = entries.find((e) => e.code === source);
    return hit ? `Equivalent: ${hit.reason}` : undefined;
  }
}

export const strykerPlugins = [
  declareClassPlugin(PluginKind.Ignore, 'equivalent-mutants', EquivalentMutantsIgnorer),
];
