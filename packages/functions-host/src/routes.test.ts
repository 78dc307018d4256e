import { compileRoute } from './routes';

describe('route templates', () => {
  it('matches literals case-insensitively, with an optional trailing slash', () => {
    const route = compileRoute('rooms/list');
    expect(route.match('/rooms/list')).toEqual({});
    expect(route.match('/ROOMS/List/')).toEqual({});
    expect(route.match('/rooms/list/x')).toBeUndefined();
  });

  it('extracts and decodes parameters', () => {
    expect(compileRoute('rooms/{room}/messages').match('/rooms/a%2Fb%20c/messages')).toEqual({ room: 'a/b c' });
  });

  it('supports optional parameters, defaults and catch-alls', () => {
    expect(compileRoute('items/{id?}').match('/items')).toEqual({});
    expect(compileRoute('items/{page=1}').match('/items/3')).toEqual({ page: '3' });
    expect(compileRoute('{*path}').match('/a/b/c')).toEqual({ path: 'a/b/c' });
    expect(compileRoute('{*path}').match('/')).toEqual({});
    expect(() => compileRoute('{*rest}/tail')).toThrow(/catch-all/);
  });

  it('applies constraints', () => {
    const route = compileRoute('orders/{id:int}');
    expect(route.match('/orders/12')).toEqual({ id: '12' });
    expect(route.match('/orders/twelve')).toBeUndefined();
    expect(compileRoute('x/{flag:bool}').match('/x/TRUE')).toEqual({ flag: 'TRUE' });
    expect(compileRoute('x/{code:regex(^[a-z]+$)}').match('/x/abc')).toEqual({ code: 'abc' });
    expect(compileRoute('x/{code:regex(^[a-z]+$)}').match('/x/ABC1')).toBeUndefined();
  });

  it('handles complex segments', () => {
    expect(compileRoute('files/{name}.{ext}').match('/files/report.final.pdf')).toEqual({
      name: 'report',
      ext: 'final.pdf',
    });
  });

  it('ranks literal routes above parameters and catch-alls last', () => {
    const literal = compileRoute('rooms/new');
    const param = compileRoute('rooms/{room}');
    const catchAll = compileRoute('{*path}');
    expect(literal.rank).toBeGreaterThan(param.rank);
    expect(param.rank).toBeGreaterThan(catchAll.rank);
  });
});
