import type { Kysely, Migration } from 'kysely';

/**
 * People of other organisations (issue 20): a role's holder is an object id in a tenant. `roles.tenant_id` is the
 * tenant the file gives the person (a council's, say); null is the force deployment's own (HOME_TENANT_ID).
 */
export const tenantsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('roles').addColumn('tenant_id', 'text').execute();
  },
};
