/**
 * Which registry links prove a claimed relation (provenKinship): every relation against every kind of link,
 * in both directions, for a related person who is a man, a woman or not on record; and the grandparent
 * chains. "related is the subject's <relation>": a PARENT_CHILD link has `a` = the parent.
 */
import { describe, expect, it } from 'vitest';
import { provenKinship } from '#shared/domain/exchange.ts';
import { RELATIONS, type Relation } from '#shared/domain/types.ts';
import type { KinshipRelation } from '#shared/registry/registry.ts';
import { smallRegistry } from '#tests/helpers/small-registry.ts';

type LinkCase =
  | 'related is parent'
  | 'subject is parent'
  | 'sibling'
  | 'sibling (other order)'
  | 'spouse'
  | 'none';
type RelatedGender = 'M' | 'F' | 'not on record';

const LINKS: LinkCase[] = [
  'related is parent',
  'subject is parent',
  'sibling',
  'sibling (other order)',
  'spouse',
  'none',
];
const GENDERS: RelatedGender[] = ['M', 'F', 'not on record'];

/** The link each relation needs, and the gender the related person must have when on record. */
const NEEDS: Record<Relation | 'none claimed', { links: LinkCase[]; gender?: 'M' | 'F' }> = {
  FATHER: { links: ['related is parent'], gender: 'M' },
  MOTHER: { links: ['related is parent'], gender: 'F' },
  SON: { links: ['subject is parent'], gender: 'M' },
  DAUGHTER: { links: ['subject is parent'], gender: 'F' },
  BROTHER: { links: ['sibling', 'sibling (other order)'], gender: 'M' },
  SISTER: { links: ['sibling', 'sibling (other order)'], gender: 'F' },
  SPOUSE: { links: ['spouse'] },
  GRANDPARENT: { links: [] }, // needs two links: see below
  GRANDCHILD: { links: [] },
  OTHER: { links: [] }, // never proven
  'none claimed': {
    links: ['related is parent', 'subject is parent', 'sibling', 'sibling (other order)', 'spouse'],
  },
};

function linkBetween(
  link: LinkCase,
  s: string,
  r: string,
): { a: string; b: string; relation: KinshipRelation }[] {
  switch (link) {
    case 'related is parent':
      return [{ a: r, b: s, relation: 'PARENT_CHILD' }];
    case 'subject is parent':
      return [{ a: s, b: r, relation: 'PARENT_CHILD' }];
    case 'sibling':
      return [{ a: s, b: r, relation: 'SIBLING' }];
    case 'sibling (other order)':
      return [{ a: r, b: s, relation: 'SIBLING' }];
    case 'spouse':
      return [{ a: r, b: s, relation: 'SPOUSE' }];
    case 'none':
      return [];
  }
}

const cases = ([...RELATIONS, 'none claimed'] as const).flatMap((relation) =>
  LINKS.flatMap((link) =>
    GENDERS.map((gender) => {
      const need = NEEDS[relation];
      const proven =
        need.links.includes(link) &&
        (gender === 'not on record' || need.gender === undefined || need.gender === gender);
      return { relation, link, gender, proven };
    }),
  ),
);

describe('a direct relation is proven by the right link, direction and gender only', () => {
  it('covers every relation', () => {
    expect(Object.keys(NEEDS).sort()).toEqual([...RELATIONS, 'none claimed'].sort());
  });

  it.each(cases)(
    '$relation, link: $link, related: $gender → proven: $proven',
    ({ relation, link, gender, proven }) => {
      const { registry, id } = smallRegistry(
        gender === 'not on record'
          ? { subject: { name: '张伟', gender: 'M' } }
          : { subject: { name: '张伟', gender: 'M' }, related: { name: '王某', gender } },
        (id) => ({ kinship: linkBetween(link, id.subject as string, id.related as string) }),
        gender === 'not on record' ? ['related'] : [],
      );
      const claimed = relation === 'none claimed' ? undefined : relation;
      const links = provenKinship(registry, id.subject as string, id.related as string, claimed);
      if (proven) {
        expect(links).toEqual(linkBetween(link, id.subject as string, id.related as string));
      } else {
        expect(links).toBeUndefined();
      }
    },
  );

  it('a link between other people proves nothing about these two', () => {
    const { registry, id } = smallRegistry(
      {
        subject: { name: '甲', gender: 'M' },
        related: { name: '乙', gender: 'M' },
        third: { name: '丙', gender: 'M' },
      },
      (id) => ({
        kinship: [
          { a: id.related as string, b: id.third as string, relation: 'PARENT_CHILD' },
          { a: id.third as string, b: id.subject as string, relation: 'SIBLING' },
        ],
      }),
    );
    for (const relation of [...RELATIONS, undefined]) {
      expect(provenKinship(registry, id.subject as string, id.related as string, relation)).toBeUndefined();
    }
  });
});

describe('grandparents and grandchildren: a chain of two parent–child links, elder first', () => {
  type Chain = {
    name: string;
    links: (id: Record<string, string>) => { a: string; b: string; relation: KinshipRelation }[];
  };
  const pc = (a: string | undefined, b: string | undefined) => ({
    a: a as string,
    b: b as string,
    relation: 'PARENT_CHILD' as const,
  });
  const chains: (Chain & { grandparentOfC: boolean })[] = [
    {
      name: 'G parent of P, P parent of C',
      links: (i) => [pc(i.G, i.P), pc(i.P, i.C)],
      grandparentOfC: true,
    },
    {
      name: 'P parent of G, P parent of C (an uncle’s link, not a chain)',
      links: (i) => [pc(i.P, i.G), pc(i.P, i.C)],
      grandparentOfC: false,
    },
    {
      name: 'G parent of P, C parent of P (reversed second link)',
      links: (i) => [pc(i.G, i.P), pc(i.C, i.P)],
      grandparentOfC: false,
    },
    {
      name: 'G sibling of P, P parent of C',
      links: (i) => [{ a: i.G as string, b: i.P as string, relation: 'SIBLING' }, pc(i.P, i.C)],
      grandparentOfC: false,
    },
    {
      name: 'G parent of P, P spouse of C',
      links: (i) => [pc(i.G, i.P), { a: i.P as string, b: i.C as string, relation: 'SPOUSE' }],
      grandparentOfC: false,
    },
    {
      name: 'G is C’s parent and the child of P (a parent, not a grandparent)',
      links: (i) => [pc(i.P, i.G), pc(i.G, i.C)],
      grandparentOfC: false,
    },
    {
      name: 'G has a childless child X first, then P parent of C',
      links: (i) => [pc(i.G, i.X), pc(i.G, i.P), pc(i.P, i.C)],
      grandparentOfC: true,
    },
    { name: 'G parent of P only', links: (i) => [pc(i.G, i.P)], grandparentOfC: false },
    { name: 'no links', links: () => [], grandparentOfC: false },
  ];
  const table = chains.flatMap((c) => [
    { ...c, claim: 'GRANDPARENT' as const, subject: 'C', related: 'G', proven: c.grandparentOfC },
    { ...c, claim: 'GRANDCHILD' as const, subject: 'G', related: 'C', proven: c.grandparentOfC },
    // the same claims the wrong way round are never proven
    { ...c, claim: 'GRANDPARENT' as const, subject: 'G', related: 'C', proven: false },
    { ...c, claim: 'GRANDCHILD' as const, subject: 'C', related: 'G', proven: false },
  ]);

  it.each(table)(
    '$name: $related is $subject’s $claim → $proven',
    ({ links, claim, subject, related, proven }) => {
      const { registry, id } = smallRegistry(
        {
          G: { name: '祖', gender: 'F' }, // no gender is required of a grandparent
          P: { name: '父', gender: 'M' },
          C: { name: '孙', gender: 'F' },
          X: { name: '叔', gender: 'M' },
        },
        (i) => ({ kinship: links(i) }),
      );
      const got = provenKinship(registry, id[subject] as string, id[related] as string, claim);
      if (proven) {
        expect(got).toEqual([
          { a: id.G, b: id.P, relation: 'PARENT_CHILD' },
          { a: id.P, b: id.C, relation: 'PARENT_CHILD' },
        ]);
      } else {
        expect(got).toBeUndefined();
      }
    },
  );
});
