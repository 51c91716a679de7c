// A hand-written UDP DNS responder for replies the zone-driven fake server never sends
// (wrong ids, odd RCODEs, CNAME-only answers).
import dgram from 'node:dgram';
import { Packet } from 'dns2';
import type { ResolverAddress } from '../../src/types.js';

export interface RawDns {
  address: ResolverAddress;
  close(): Promise<void>;
}

/** `reply` returns the packets to send back, in order (none: stay silent). */
export async function startRawDns(host: string, reply: (request: Packet) => Packet[]): Promise<RawDns> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message, rinfo) => {
    for (const packet of reply(Packet.parse(message))) socket.send(packet.toBuffer(), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, host, resolve));
  return {
    address: { address: host, port: socket.address().port },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** A reply to `request` carrying `answers` (built with Packet.Resource). */
export function replyTo(request: Packet, answers: Partial<Packet['answers'][number]>[] = [], header: object = {}): Packet {
  const response = Packet.createResponseFromRequest(request);
  Object.assign(response.header, header);
  for (const rr of answers) response.answers.push(new Packet.Resource({ class: Packet.CLASS.IN, ttl: 60, ...rr }));
  return response;
}
