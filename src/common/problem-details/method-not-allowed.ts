import type { Request } from 'express';

interface RouterLayer {
  route?: { path?: unknown; methods?: Record<string, boolean> };
  match(path: string): boolean;
}

/**
 * The methods the app routes for this request's path (Express 5 router), so that a path known
 * with another method is a 405 with `Allow`, not a 404. Empty when the path is unknown.
 */
export function allowedMethods(request: Request): string[] {
  const stack = (request.app as unknown as { router?: { stack?: RouterLayer[] } }).router?.stack ?? [];
  const path = request.path;
  const methods = new Set<string>();
  for (const layer of stack) {
    // Catch-all routes (`/{*path}`: middleware bound for every method, app.all) say nothing about this path's own methods.
    if (!layer.route?.methods || layer.route.methods._all || /^\/?\{?\*/.test(String(layer.route.path))) continue;
    let matches: boolean;
    try {
      matches = layer.match(path);
    } catch {
      matches = false; // a malformed path escape
    }
    if (!matches) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) if (on) methods.add(method.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}
