// Production runs pinned images: an empty tag means "the chart's appVersion", which moves with
// the chart, and `latest` means whatever was pushed last.
import { isTable } from '../model';
import type { Problem } from '../problems';
import { error, type Rule } from './context';

export const imagesRule: Rule = {
  id: 'images',
  summary: 'production pins every image: a tag (not latest), or a digest',
  check(ctx) {
    const problems: Problem[] = [];
    for (const scope of ctx.scopes) {
      if (!ctx.isProduction(scope)) continue;
      for (const { table, path } of ctx.tables(scope)) {
        if (typeof table.repository !== 'string' || !('tag' in table || 'digest' in table)) continue;
        if (isTable(table.tag)) continue;
        const tag = typeof table.tag === 'string' ? table.tag.trim() : '';
        const digest = typeof table.digest === 'string' ? table.digest.trim() : '';
        const tagPath = [...path, 'tag'];
        if (ctx.hasSchemaError(tagPath)) continue;
        if (tag.toLowerCase() === 'latest') {
          problems.push(error('images', tagPath, 'must not be latest in production: pin an exact version'));
        } else if (!tag && !digest) {
          problems.push(
            error(
              'images',
              tagPath,
              `must be set in production: an empty tag means the chart's appVersion, which is not a pin (or set digest)`,
            ),
          );
        }
      }
    }
    return problems;
  },
};
