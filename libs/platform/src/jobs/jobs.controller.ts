import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { JobQueue } from './job-queue';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('api/jobs')
export class JobsController {
  constructor(private readonly jobs: JobQueue) {}

  @Get(':id')
  get(@Param('id') id: string) {
    return this.jobs.get(id);
  }
}
