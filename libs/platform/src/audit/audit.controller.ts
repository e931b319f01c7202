import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/decorators';
import { AuditService } from './audit.service';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Roles('supervisor', 'admin')
  @Get()
  list(@Query('subject') subject?: string, @Query('actor') actor?: string, @Query('action') action?: string, @Query('skip') skip?: string, @Query('take') take?: string) {
    return this.audit.list({ subject, actor, action, skip: Number(skip ?? 0) || 0, take: Number(take ?? 100) || 100 });
  }

  @Roles('analyst', 'supervisor', 'admin')
  @Get('verify')
  verify() {
    return this.audit.verify();
  }
}
