#!/bin/sh
# Stand-in for Prisma's native schema engine on machines that cannot download it.
# `prisma generate` only checks that the engine file exists; migrations here run through
# libs/platform's own migrator, so this stand-in refuses anything that would need the real engine.
echo "The native Prisma schema engine is not installed on this machine; use 'npm run db:migrate' / 'npm run db:diff'." >&2
exit 1
