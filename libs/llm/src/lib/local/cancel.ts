import { fold } from './text.js';

/** Dropping the request under way, said whole: "olvídalo", "nada, déjalo", "mejor no", "never mind", "forget it". */
const CANCEL =
  /^(?:(?:no|nah|nope|bueno|vale|ok|okay|mejor|pues|oh|ah|uy|hmm+|actually|wait|oops|sorry|perdona|perdon|espera|en realidad|pensandolo bien|on second thought)\s*[,.!]*\s*)*(?:olvidalo|olvida(?:lo)?\s+eso|olvidate|dejalo(?:\s+(?:estar|asi|para\s+luego))?|deja(?:lo)?\s+eso|no\s+importa|mejor\s+no|nada|ya\s+no|cancela(?:lo)?|no\s+hace\s+falta|never\s*mind|nevermind|nvm|forget\s+(?:it|that|about\s+it)|scratch\s+that|cancel\s+(?:it|that)|drop\s+it|no\s+need|don'?\s?t\s+bother|(?:mejor\s+)?(?:otro\s+dia|en\s+otro\s+momento)|(?:maybe\s+)?(?:another|some\s+other)\s+time|ningun[ao]|cancel|cancelar|stop|nah|nope|no\s+(?:gracias|thanks|thank\s+you|hace\s+falta\s+ya))(?:\s*[,.!]*\s+(?:gracias|thanks|thx|nada|dejalo|olvidalo|forget\s+it|never\s*mind|no\s+importa|mejor\s+no|(?:mejor\s+)?otro\s+dia|(?:mas|para)\s+(?:tarde|luego)|luego|later|another\s+time|for\s+now|por\s+ahora|ya\s+veremos|sorry|perdona))*\s*[.!]*\s*$/;

/** Whether `text` only drops the request under way (and so asks for nothing to run). */
export function isCancel(text: string): boolean {
  return CANCEL.test(fold(text).trim());
}
