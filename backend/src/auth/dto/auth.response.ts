import { ApiProperty } from '@nestjs/swagger';
import { UserResponse } from '../../users/dto/user.response.js';

export class AuthResponse {
  @ApiProperty({ description: 'HS256 JWT to send as `Authorization: Bearer <token>`' })
  access_token!: string;

  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' })
  token_type!: 'Bearer';

  @ApiProperty({ type: 'integer', minimum: 1, example: 3600, description: 'Seconds until the token expires' })
  expires_in!: number;

  @ApiProperty({ type: UserResponse })
  user!: UserResponse;
}
