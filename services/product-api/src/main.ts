// `node dist/main.js`: serve product-api (config from CONFIG_FILE, secrets from env or *_FILE).
import { runService } from '@techcommerce/runtime';
import { productApi } from './service';

void runService(productApi);
