import { Type } from '@nestjs/common';
import { Field, Int, ObjectType } from '@nestjs/graphql';
import { ValidationError } from '@suite/platform';

@ObjectType({ description: 'Relay page information.' })
export class PageInfo {
  @Field({ description: 'More items follow the last edge.' })
  hasNextPage: boolean;
  @Field({ description: 'Always false: pages go forward only (pass `after`).' })
  hasPreviousPage: boolean;
  @Field(() => String, { nullable: true, description: 'Cursor of the first edge.' })
  startCursor: string | null;
  @Field(() => String, { nullable: true, description: 'Cursor of the last edge; pass it as `after` for the next page.' })
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}
export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
}

/** A Relay connection type named `<Name>Connection` with `<Name>Edge` edges. */
export function ConnectionType<T>(node: Type<T>, name: string): Type<Connection<T>> {
  @ObjectType(`${name}Edge`, { description: `An edge to a ${name}.` })
  class EdgeType {
    @Field({ description: 'Opaque cursor of this edge.' })
    cursor: string;
    @Field(() => node, { description: `The ${name}.` })
    node: T;
  }
  @ObjectType(`${name}Connection`, { description: `A page of ${name} items (Relay connection).` })
  class ConnectionClass {
    @Field(() => [EdgeType], { description: 'The items of this page with their cursors.' })
    edges: EdgeType[];
    @Field(() => PageInfo, { description: 'Where this page sits.' })
    pageInfo: PageInfo;
  }
  return ConnectionClass as Type<Connection<T>>;
}

export const MAX_PAGE = 1000;
export const PageSize = () => Int;

/** Checks `first` (1..MAX_PAGE) naming the argument. */
export function pageSize(first: number | null | undefined, fallback = 50): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) throw new ValidationError(`first must be an integer between 1 and ${MAX_PAGE}, got ${n}`, [{ field: 'first' }]);
  return n;
}

export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T>(cursor: string | null | undefined, check: (v: unknown) => v is T): T | undefined {
  if (!cursor) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    v = undefined;
  }
  if (!check(v)) throw new ValidationError('after is not a cursor returned by this field', [{ field: 'after' }]);
  return v;
}

/** Builds a connection from up to first + 1 fetched items (the extra one only signals a next page). */
export function toConnection<T>(items: T[], first: number, key: (t: T) => unknown): Connection<T> {
  const page = items.slice(0, first);
  const edges = page.map((node) => ({ node, cursor: encodeCursor(key(node)) }));
  return {
    edges,
    pageInfo: { hasNextPage: items.length > first, hasPreviousPage: false, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
