// Config and Secret checksums in the pod template: a change to a service's config (or its
// chart-made Secret) changes that service's pod template, so `helm upgrade` rolls its pods, and
// nothing else's. Each case renders the umbrella twice with real helm and compares.
import { find, render, type K8sObject } from './helpers';

function checksums(objects: K8sObject[], service: string): Record<string, string> {
  const deployment = find(objects, 'Deployment', `techcommerce-${service}`);
  const template = (deployment.spec as { template: { metadata: { annotations: Record<string, string> } } })
    .template;
  return template.metadata.annotations;
}

describe('pod template checksums', () => {
  const base = render('charts/techcommerce');

  it('changes product-api checksum/config when its config changes, and no other service', () => {
    const changed = render('charts/techcommerce', { set: ['product-api.config.log.level=debug'] });
    expect(checksums(changed, 'product-api')['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
    expect(checksums(changed, 'product-api')['checksum/config']).not.toBe(
      checksums(base, 'product-api')['checksum/config'],
    );
    expect(checksums(changed, 'frontend')).toEqual(checksums(base, 'frontend'));
    expect(checksums(changed, 'order-api')).toEqual(checksums(base, 'order-api'));
  });

  it('keeps the checksum when only the replica count changes', () => {
    const scaled = render('charts/techcommerce', { set: ['order-api.replicaCount=3'] });
    expect(checksums(scaled, 'order-api')).toEqual(checksums(base, 'order-api'));
  });

  it('changes checksum/secret when a chart-made secret value changes', () => {
    const a = render('charts/techcommerce', { set: ['product-api.secrets.adminToken=first'] });
    const b = render('charts/techcommerce', { set: ['product-api.secrets.adminToken=second'] });
    expect(checksums(a, 'product-api')['checksum/secret']).toMatch(/^[0-9a-f]{64}$/);
    expect(checksums(a, 'product-api')['checksum/secret']).not.toBe(
      checksums(b, 'product-api')['checksum/secret'],
    );
    expect(checksums(a, 'product-api')['checksum/config']).toBe(
      checksums(b, 'product-api')['checksum/config'],
    );
  });

  it('hashes the exact config.json the service reads', () => {
    const objects = render('charts/techcommerce', { set: ['order-api.config.log.level=warn'] });
    const configMap = find(objects, 'ConfigMap', 'techcommerce-order-api');
    const config = JSON.parse(configMap.data?.['config.json'] ?? '') as { log: { level: string } };
    expect(config.log.level).toBe('warn');
  });
});
