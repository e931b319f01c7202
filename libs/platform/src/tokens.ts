/** Injection tokens of the platform module. */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const DATABASE = Symbol('DATABASE');
export const LOGGER = Symbol('LOGGER');
