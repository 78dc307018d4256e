/** users: `GET /api/users` — everyone who has signed in, with whether they are online now. */
import { Routes } from '../contract';
import { app } from '@azure/functions';
import { authenticated } from './lib/handler';
import { json } from './lib/http';
import { listUsers } from './lib/users-store';

export const getUsers = authenticated(async () => json(200, { users: await listUsers() }));

app.http('users', { route: Routes.users, methods: ['GET'], authLevel: 'anonymous', handler: getUsers });
