// The type tests' one assertion: `equal<A, B>(true)` compiles only when A and B are the same type.

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Compiles only when A and B are the same type. */
export function equal<A, B>(_: Equal<A, B>): void {}
