import type { EmuRoute, GarminHost } from './types.js';

interface CompiledRoute {
  route: EmuRoute;
  segments: string[];
}

export interface RouteMatch {
  route: EmuRoute;
  params: Record<string, string>;
}

/**
 * Method + path matching over EmuRoutes. Routes are unique by method+path across hosts
 * (checked here at start-up), which is what lets plain mode serve every host on one origin.
 */
export class Router {
  private readonly compiled: CompiledRoute[];

  constructor(routes: EmuRoute[]) {
    const seen = new Set<string>();
    this.compiled = routes.map((route) => {
      const key = `${route.method} ${route.pattern}`;
      if (seen.has(key)) throw new Error(`Emulator route defined twice: ${key}`);
      seen.add(key);
      return { route, segments: route.pattern.split('/').filter((s) => s !== '') };
    });
  }

  /**
   * Finds the route for a request. `host` is the Garmin host the request was addressed to in
   * TLS mode, or undefined in plain mode (any host matches). Literal segments win over
   * parameters, so "/workout/FIT/:id" is not shadowed by "/workout/:id".
   */
  match(method: string, path: string, host: GarminHost | undefined): RouteMatch | undefined {
    const parts = path.split('/').filter((s) => s !== '');
    let best: { m: RouteMatch; literals: number } | undefined;
    for (const c of this.compiled) {
      if (c.route.method !== method || c.segments.length !== parts.length) continue;
      if (host && c.route.host !== 'any' && c.route.host !== host) continue;
      const params: Record<string, string> = {};
      let literals = 0;
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const seg = c.segments[i]!;
        const part = parts[i]!;
        if (seg.startsWith(':')) {
          try {
            params[seg.slice(1)] = decodeURIComponent(part);
          } catch {
            ok = false;
            break;
          }
        } else if (seg === part) {
          literals++;
        } else {
          ok = false;
          break;
        }
      }
      if (ok && (!best || literals > best.literals)) best = { m: { route: c.route, params }, literals };
    }
    return best?.m;
  }
}
