import type { AxiosInstance, AxiosRequestConfig, InternalAxiosRequestConfig } from 'axios';
import axios from 'axios';
import { describe, expectTypeOf, it } from 'vitest';
import { type AttachedAuth, type AttachOptions, attach, bearer, type CredentialSource, type TokenManager } from '../src/index.js';

describe('attach', () => {
  it('takes an axios instance, any credential source and options, and returns an eject handle', () => {
    expectTypeOf(attach).parameters.toEqualTypeOf<[AxiosInstance, CredentialSource, AttachOptions?]>();
    expectTypeOf(attach).returns.toEqualTypeOf<AttachedAuth>();
    expectTypeOf<AttachedAuth['eject']>().toEqualTypeOf<() => void>();
    expectTypeOf<TokenManager>().toMatchTypeOf<CredentialSource>();
    expectTypeOf(attach(axios, bearer('t'), { origins: ['https://api.example.com'] })).toEqualTypeOf<AttachedAuth>();
  });

  it('rejects what is not a source or not an origin list', () => {
    // @ts-expect-error a string is not a credential source
    attach(axios.create(), 'token');
    // @ts-expect-error origins is a list
    attach(axios.create(), bearer('t'), { origins: 'https://api.example.com' });
  });
});

describe('AxiosRequestConfig augmentation', () => {
  it('types skipAuth and authSubject on every axios call', () => {
    expectTypeOf<AxiosRequestConfig['skipAuth']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<AxiosRequestConfig['authSubject']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<InternalAxiosRequestConfig['skipAuth']>().toEqualTypeOf<boolean | undefined>();
    const api = axios.create();
    void api.get('/public', { skipAuth: true });
    void api.post('/v1/items', { a: 1 }, { authSubject: 'user-1' });
    // @ts-expect-error skipAuth is a boolean
    void api.get('/public', { skipAuth: 'yes' });
  });
});
