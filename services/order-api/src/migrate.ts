// `node dist/migrate.js`: apply pending migrations and exit 0 (the Helm pre-install/pre-upgrade
// hook Job runs this). Safe to run repeatedly and concurrently.
import { runMigrateCommand } from '@techcommerce/runtime';
import configSchema from './generated/config.schema.json';
import { MIGRATIONS_DIR } from './service';

void runMigrateCommand({ name: 'order-api', configSchema, migrationsDir: MIGRATIONS_DIR });
