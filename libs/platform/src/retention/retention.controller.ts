import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { RetentionService } from './retention.service';

@Roles('admin')
@Controller('api/admin/retention')
export class RetentionController {
  constructor(private readonly retention: RetentionService) {}

  /** Policies, periods (0 = kept forever), holds and the last sweep of each. */
  @Get()
  list() {
    return this.retention.describe();
  }

  /** Starts a sweep now; poll GET /api/jobs/:id. */
  @Post('sweep')
  @HttpCode(202)
  sweep(@CurrentPrincipal() who: Principal) {
    return this.retention.request(`${who.kind}:${who.name}`);
  }
}
