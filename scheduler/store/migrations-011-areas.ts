import type { Kysely, Migration } from 'kysely';

/**
 * Areas of big forces (issue 24): each force's areas (id, name, panels) as JSON on its row, null for a force without
 * any. Their leads and deputies are roles like the others (`area-lead`, `area-deputy`), scoped `<force id>/<area id>`.
 */
export const areasMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('forces').addColumn('areas_json', 'text').execute();
  },
};
