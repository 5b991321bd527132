import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'agency' }) @IsString() @IsNotEmpty() @MaxLength(100) username!: string;
  @ApiProperty({ example: 'contingent-demo' }) @IsString() @IsNotEmpty() @MaxLength(200) password!: string;
}

export class LoginResponseDto {
  @ApiProperty() accessToken!: string;
  @ApiProperty() role!: string;
  @ApiProperty({ nullable: true, type: String }) establishment!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'where notifications are e-mailed' }) email!: string | null;
}
