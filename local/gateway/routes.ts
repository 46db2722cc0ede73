/** Route matching of API Gateway HTTP API route keys (`GET /v1/requests/{requestId}`) from the registry. */
import type { FunctionSpec } from '#functions/function-list.ts';

export interface Route {
  routeKey: string;
  method: string;
  functionName: string;
  pattern: RegExp;
  params: string[];
}

export function compileRoutes(specs: readonly FunctionSpec[]): Route[] {
  const routes: Route[] = [];
  for (const spec of specs) {
    if (spec.trigger.kind !== 'http') continue;
    for (const routeKey of spec.trigger.routes) {
      const [method, path] = routeKey.split(' ') as [string, string];
      const params: string[] = [];
      const source = path
        .split('/')
        .map((part) => {
          const m = /^\{(\w+)\}$/.exec(part);
          if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          params.push(m[1]!);
          return '([^/]+)';
        })
        .join('/');
      routes.push({ routeKey, method, functionName: spec.name, pattern: new RegExp(`^${source}$`), params });
    }
  }
  return routes;
}

export type Match =
  | { kind: 'route'; route: Route; pathParameters: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'none' };

export function matchRoute(routes: readonly Route[], method: string, path: string): Match {
  const allowed: string[] = [];
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    if (route.method !== method) {
      allowed.push(route.method);
      continue;
    }
    const pathParameters: Record<string, string> = {};
    route.params.forEach((name, i) => {
      let value = m[i + 1]!;
      try {
        value = decodeURIComponent(value);
      } catch {
        // API Gateway passes undecodable parameters through as they are.
      }
      pathParameters[name] = value;
    });
    return { kind: 'route', route, pathParameters };
  }
  return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'none' };
}
