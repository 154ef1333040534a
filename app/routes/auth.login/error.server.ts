import type { LoginError } from "@shopify/shopify-app-remix/server";
import { LoginErrorType } from "@shopify/shopify-app-remix/server";
import type { MessageKey } from "~/i18n";

/** The login error as an i18n key, for the form to show. */
export function loginErrorKey(loginErrors: LoginError): MessageKey | null {
  if (loginErrors?.shop === LoginErrorType.MissingShop) return "login.error.missingShop";
  if (loginErrors?.shop === LoginErrorType.InvalidShop) return "login.error.invalidShop";
  return null;
}
