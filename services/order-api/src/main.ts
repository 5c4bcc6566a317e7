// `node dist/main.js`: serve order-api (config from CONFIG_FILE, secrets from env or *_FILE).
import { runService } from '@techcommerce/runtime';
import { orderApi } from './service';

void runService(orderApi);
