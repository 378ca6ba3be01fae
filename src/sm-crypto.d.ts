// sm-crypto 0.5 ships no types (@types/sm-crypto describes 0.3); only what src/features/reports/signing.ts calls.
declare module 'sm-crypto' {
  type Bytes = string | ArrayLike<number>;
  interface SignOptions {
    hash?: boolean;
    der?: boolean;
    publicKey?: string;
    userId?: string;
  }
  const smCrypto: {
    sm2: {
      generateKeyPairHex(): { publicKey: string; privateKey: string };
      doSignature(msg: Bytes, privateKey: string, options?: SignOptions): string;
      doVerifySignature(msg: Bytes, signHex: string, publicKey: string, options?: Omit<SignOptions, 'publicKey'>): boolean;
    };
    sm3(input: Bytes): string;
  };
  export default smCrypto;
}
