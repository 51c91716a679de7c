import { it } from 'vitest';
import { createLabPki, createSelfSigned, createCa, createLeaf } from '../../fixtures/certs.js';
it('time 25 certs', async () => {
  const t0 = performance.now();
  const pki = await createLabPki();
  const t1 = performance.now();
  for (let i = 0; i < 18; i++) await pki.leaf({ dnsNames: [`mx${i}.example.com`], keyType: i % 3 === 0 ? 'ecdsa' : 'rsa' });
  await createSelfSigned({ dnsNames: ['ss.example.com'] });
  await createSelfSigned({ dnsNames: ['ss2.example.com'], keyType: 'ecdsa' });
  const other = await createCa({ name: 'Other CA' });
  await createLeaf(other, { dnsNames: ['x.example.com'] });
  await pki.leaf({ dnsNames: ['old.example.com'], notAfter: new Date(Date.now() - 86400000), notBefore: new Date(Date.now() - 9e8) });
  const t2 = performance.now();
  console.log(`TIMING pki(root+intermediate)=${(t1 - t0).toFixed(0)}ms, 23 more certs=${(t2 - t1).toFixed(0)}ms, total 25 certs=${(t2 - t0).toFixed(0)}ms`);
});
