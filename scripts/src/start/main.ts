// `npm start`: will run frontend (3000), product-api (5000) and order-api (7000) on an embedded
// database. The services have not landed yet, so this only says what it will start.
console.log(
  'npm start will run the shop: frontend :3000, product-api :5000, order-api :7000 (embedded database).',
);
console.log('The services are not built yet; see the open issues.');
