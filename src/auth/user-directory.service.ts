import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, Repository } from 'typeorm';
import type { DirectoryUser, NewDirectoryUser, UserDirectory } from '../common/contracts/user-directory';
import { insertChunks } from '../common/database/insert-chunks';
import type { Actor, Role } from '../common/domain/roles';
import { UserEntity } from './entities/user.entity';

const RECIPIENT = { id: true, username: true, role: true, establishment: true, email: true, language: true } as const;

function toDirectoryUser(u: UserEntity): DirectoryUser {
  return { id: u.id, username: u.username, role: u.role, establishment: u.establishment, email: u.email ?? null, language: u.language ?? null };
}

/** The users table as other modules may see it (USER_DIRECTORY): recipients, actors, the demo's users. */
@Injectable()
export class UserDirectoryService implements UserDirectory {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  async withRoles(manager: EntityManager, audiences: readonly { role: Role; establishment?: string }[]): Promise<DirectoryUser[]> {
    if (audiences.length === 0) return [];
    const where = audiences.map((a): FindOptionsWhere<UserEntity> => (a.establishment === undefined ? { role: a.role } : { role: a.role, establishment: a.establishment }));
    return (await manager.getRepository(UserEntity).find({ where, select: RECIPIENT })).map(toDirectoryUser);
  }

  async hasUsers(): Promise<boolean> {
    return (await this.users.count()) > 0;
  }

  async byId(userId: string, manager: EntityManager = this.users.manager): Promise<DirectoryUser | null> {
    const user = await manager.getRepository(UserEntity).findOneBy({ id: userId });
    return user ? toDirectoryUser(user) : null;
  }

  async setLanguage(manager: EntityManager, userId: string, language: string): Promise<void> {
    await manager.getRepository(UserEntity).update({ id: userId }, { language });
  }

  async actorOf(manager: EntityManager, username: string): Promise<Actor | null> {
    const user = await manager.getRepository(UserEntity).findOne({ where: { username } });
    return user ? { userId: user.id, username: user.username, role: user.role, establishment: user.establishment, specialty: user.specialty } : null;
  }

  async addUsersLike(manager: EntityManager, like: string, users: readonly NewDirectoryUser[], createdAt: string): Promise<void> {
    const { passwordHash } = await manager.getRepository(UserEntity).findOneOrFail({ where: { username: like } });
    await this.addUsers(manager, users, passwordHash, createdAt);
  }

  async addUsers(manager: EntityManager, users: readonly NewDirectoryUser[], passwordHash: string, createdAt: string): Promise<void> {
    await insertChunks(manager, UserEntity, users.map((u) => ({ ...u, passwordHash, createdAt })));
  }

  async giveDefaultEmails(manager: EntityManager, domain: string): Promise<void> {
    await manager.query(`UPDATE users SET email = username || '@${domain}' WHERE email IS NULL`);
  }
}
