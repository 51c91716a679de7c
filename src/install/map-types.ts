// The Postfix table types `mxtls install` builds, and the file postmap makes for each
// (postmap(1), DATABASE_README: hash -> FILE.db, lmdb -> FILE.lmdb, cdb -> FILE.cdb). A
// texthash table is read from its source by the Postfix daemons themselves: no postmap, no
// second file. lmdb and cdb are plugins on Debian (packages postfix-lmdb, postfix-cdb);
// `postconf -m` lists what the local Postfix supports.

export const MAP_TYPES = ['hash', 'lmdb', 'cdb', 'texthash'] as const;
export type MapType = (typeof MAP_TYPES)[number];

const SUFFIX: Record<MapType, string | undefined> = { hash: '.db', lmdb: '.lmdb', cdb: '.cdb', texthash: undefined };

/** The file postmap builds from `source` for this type, or undefined for texthash. */
export function builtMapPath(type: MapType, source: string): string | undefined {
  const suffix = SUFFIX[type];
  return suffix === undefined ? undefined : `${source}${suffix}`;
}
