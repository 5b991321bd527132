import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createSecretKey } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/config';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { Authenticator, TOKEN_LIFETIME_SECONDS } from './authenticator';
import { UserEntity } from './entities/user.entity';
import { LoginAttempts } from './login-attempts';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';
import { UserDirectoryService } from './user-directory.service';
import { USER_DIRECTORY } from '../common/contracts/user-directory';

/** Global: the Authenticator is the one auth check, also for routes outside Nest's (the queue dashboard); USER_DIRECTORY is who the users are for other modules. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forFeature([UserEntity]),
    JwtModule.registerAsync({
      global: true,
      inject: [APP_CONFIG],
      // A secret KeyObject: jsonwebtoken would otherwise try createPublicKey on the string at every verify.
      useFactory: (config: AppConfig) => ({
        secret: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')),
        signOptions: { expiresIn: TOKEN_LIFETIME_SECONDS, algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController, UsersController],
  providers: [AuthService, AuthGuard, Authenticator, LoginAttempts, UsersService, UserDirectoryService, { provide: USER_DIRECTORY, useExisting: UserDirectoryService }],
  exports: [AuthService, AuthGuard, Authenticator, USER_DIRECTORY],
})
export class AuthModule {}
