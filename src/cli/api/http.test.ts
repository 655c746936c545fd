import { describe, expect, it } from 'vitest';
import { API_PREFIX as CONTRACT_PREFIX } from '../../contract/index.js';
import { API_PREFIX } from './http.js';

describe('API prefix', () => {
  it("is the contract's prefix (kept as a plain constant so that the CLI never loads TypeBox)", () => {
    expect(API_PREFIX).toBe(CONTRACT_PREFIX);
  });
});
