import type { EntityManager } from 'typeorm';
import type { Actor, Role } from '../domain/roles';

/**
 * Who the users are, for the modules that address or act as them (notifications' recipients,
 * the demo steps' actors), without importing the auth module's table (provided by the auth
 * module under USER_DIRECTORY).
 */
export const USER_DIRECTORY = Symbol('USER_DIRECTORY');

/** What a recipient needs: whom to write to and in which language. */
export interface DirectoryUser {
  id: string;
  username: string;
  role: Role;
  establishment: string | null;
  email: string | null;
  language: string | null;
}

/** A user the demo creates (its password is that of an existing demo user). */
export interface NewDirectoryUser {
  id: string;
  username: string;
  role: Role;
  establishment: string | null;
  specialty: string | null;
  displayName: string;
}

export interface UserDirectory {
  /** The users holding one of `audiences` (a role, and for an establishment-bound one its establishment). */
  withRoles(manager: EntityManager, audiences: readonly { role: Role; establishment?: string }[]): Promise<DirectoryUser[]>;
  /** Whether any user exists (the demo loads only on an empty database). */
  hasUsers(): Promise<boolean>;
  /** One user by id, or null. */
  byId(userId: string, manager?: EntityManager): Promise<DirectoryUser | null>;
  /** Sets the language a user's notifications are written in. */
  setLanguage(manager: EntityManager, userId: string, language: string): Promise<void>;
  /** A user as the actor of a use case (demo steps act as their users), or null if there is no such user. */
  actorOf(manager: EntityManager, username: string): Promise<Actor | null>;
  /** Adds users signing in with this password hash (from the auth module's `hashPassword`: the demo's users). */
  addUsers(manager: EntityManager, users: readonly NewDirectoryUser[], passwordHash: string, createdAt: string): Promise<void>;
  /** Adds users signing in with the same password as `like` (the demo's meeting members and oncologists). */
  addUsersLike(manager: EntityManager, like: string, users: readonly NewDirectoryUser[], createdAt: string): Promise<void>;
  /** Gives every user without an e-mail `<username>@<domain>` (the demo's addresses). */
  giveDefaultEmails(manager: EntityManager, domain: string): Promise<void>;
}
