import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, ValidationError, type Principal } from '@suite/platform';
import { z } from 'zod';
import { parseOr400 } from '../http/validation';
import { ScreeningService } from './screening.service';

const ScreenBody = z
  .object({
    name: z.string().min(1).max(300).optional(),
    names: z.array(z.string().min(1).max(300)).min(1).max(1000).optional(),
    minScore: z.number().min(0).max(1).default(0.75),
    limit: z.number().int().min(1).max(50).default(5),
  })
  .strict()
  .refine((b) => b.name || b.names, 'give name or names');

@ApiTags('screening')
@ApiBearerAuth()
@Controller('api/screening')
export class ScreeningController {
  constructor(private readonly screening: ScreeningService) {}

  @Post()
  @HttpCode(200)
  @Roles('analyst', 'supervisor', 'integration', 'service')
  @ApiOperation({ summary: 'Screen party names against the sanctions list', description: 'Normalisation, transliteration (Cyrillic, Greek, Arabic), token reordering, Jaro-Winkler and Soundex; each match gives the entry, score and why.' })
  @ApiBody({ schema: { type: 'object', properties: { name: { type: 'string', example: 'MOROZOV, Viktor' }, names: { type: 'array', items: { type: 'string' } }, minScore: { type: 'number', default: 0.75 }, limit: { type: 'integer', default: 5 } } } })
  screen(@Body() body: unknown) {
    const b = parseOr400(ScreenBody, body);
    const names = b.names ?? [b.name as string];
    return { list: this.screening.info(), results: names.map((name) => ({ name, matches: this.screening.screen(name, b.minScore, b.limit) })) };
  }

  @Get('list')
  @Roles('analyst', 'supervisor')
  @ApiOperation({ summary: 'Which sanctions list is loaded' })
  info() {
    return this.screening.info();
  }

  @Post('list')
  @Roles('admin')
  @ApiOperation({ summary: 'Replace the sanctions list (FollowTheMoney JSON lines or CSV id,name,aliases,schema,countries,programs)' })
  @ApiConsumes('text/plain', 'text/csv', 'application/x-ndjson')
  @ApiQuery({ name: 'name', required: false, description: 'list name' })
  async load(@Body() body: unknown, @Query('name') name: string | undefined, @CurrentPrincipal() who: Principal) {
    if (typeof body !== 'string' || !body.trim()) throw new ValidationError('send the list as a text body (text/plain or text/csv)');
    return this.screening.replaceList(this.screening.parseUpload(body), name ?? 'uploaded', who.name);
  }
}
