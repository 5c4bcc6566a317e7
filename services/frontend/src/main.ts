// `node dist/main.js`: serve the storefront (config from CONFIG_FILE, COOKIE_SECRET from env or file).
import { runService } from '@techcommerce/runtime';
import { frontend } from './service';

void runService(frontend);
