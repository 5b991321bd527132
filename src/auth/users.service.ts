import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { NOTIFICATION_CHOICES, NotificationChoice, NotificationChoices } from '../common/contracts/notifier';
import { DomainError } from '../common/domain/domain-error';
import { Page, PageQueryDto, pageWindow, toPage } from '../common/pagination/page';
import { UserEntity } from './entities/user.entity';
import type { Actor } from '../common/domain/roles';

export interface UserResponse {
  id: string;
  username: string;
  role: string;
  establishment: string | null;
  specialty: string | null;
  displayName: string;
  email: string | null;
  language: string;
}

function toUser(user: UserEntity): UserResponse {
  return { id: user.id, username: user.username, role: user.role, establishment: user.establishment, specialty: user.specialty, displayName: user.displayName, email: user.email ?? null, language: user.language ?? 'fr' };
}

/** Users as the API shows them: the caller with their notification choices, and the agency's list. */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @Optional() @Inject(NOTIFICATION_CHOICES) private readonly choices?: NotificationChoices,
  ) {}

  async me(actor: Actor): Promise<UserResponse & { notifications: NotificationChoice[] }> {
    const user = await this.users.findOneBy({ id: actor.userId });
    if (!user) throw new DomainError('USER_NOT_FOUND', {}, 404);
    return { ...toUser(user), notifications: this.choices ? await this.choices.of(user.id, user.role) : [] };
  }

  async list(query: PageQueryDto): Promise<Page<UserResponse>> {
    const window = pageWindow(query);
    const page = toPage(await this.users.find({ order: { username: 'ASC' }, skip: window.skip, take: window.take }), window);
    return { items: page.items.map(toUser), nextCursor: page.nextCursor };
  }
}
