import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { ROLES } from '../../common/domain/roles';
import { FinessProperty } from '../../common/openapi/properties';

export class LoginDto {
  @ApiProperty({ example: 'agency' }) @IsString() @IsNotEmpty() @MaxLength(100) username!: string;
  @ApiProperty({ example: 'contingent-demo' }) @IsString() @IsNotEmpty() @MaxLength(200) password!: string;
}

export class LoginResponseDto {
  @ApiProperty({ description: 'a bearer token (JWT) for the Authorization header', example: 'eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl' }) accessToken!: string;
  @ApiProperty({ enum: ROLES }) role!: string;
  @FinessProperty({ nullable: true, description: 'FINESS of the establishment, or null' }) establishment!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'email', description: 'where notifications are e-mailed' }) email!: string | null;
}
