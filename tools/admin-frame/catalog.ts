// The shop's catalog as the admin frame's resource picker shows it (test/demo
// only). `shopify.resourcePicker` resolves with App Bridge's own shapes
// (@shopify/app-bridge-types: Product, ProductVariant, Collection; "Resource
// Picker API", https://shopify.dev/docs/api/app-home/apis/user-interface-and-interactions/resource-picker-api):
// ids as GIDs (`gid://shopify/Product/1`), title, handle, images, variants...
// The fields an app reads are filled; the rest of App Bridge's long shapes
// (publication counts, SEO, inventory policy) are left out rather than made up.
//
// The catalog is the demo store's (tools/simulator/store-generator.ts, the
// products its orders are made of) unless the frame is given another.
import { generateStore, type GeneratedProduct } from "../simulator/store-generator";

export interface CatalogVariant {
  id: string;
  title: string;
  sku?: string | null;
  /** Price in the currency's minor unit. */
  priceMinor: number;
}

export interface CatalogProduct {
  /** A numeric id or a GID. */
  id: string;
  title: string;
  handle?: string;
  vendor?: string;
  productType?: string;
  tags?: string[];
  imageUrl?: string | null;
  variants: CatalogVariant[];
}

export interface CatalogCollection {
  id: string;
  title: string;
  handle?: string;
  productIds: string[];
}

export interface Catalog {
  products: CatalogProduct[];
  collections: CatalogCollection[];
  /** The currency the prices are in (default USD). */
  currencyCode?: string;
}

export type CatalogSource = Catalog | (() => Catalog | Promise<Catalog>);

export type PickerType = "product" | "variant" | "collection";

const TYPE_NAMES = { product: "Product", variant: "ProductVariant", collection: "Collection" } as const;

/** `gid://shopify/<Type>/<id>` for a numeric id; a GID as given. */
export function gid(type: keyof typeof TYPE_NAMES | "image", id: string): string {
  if (id.startsWith("gid://")) return id;
  return `gid://shopify/${type === "image" ? "ProductImage" : TYPE_NAMES[type]}/${id}`;
}

export const handleOf = (title: string) =>
  title
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

const money = (minor: number) => (minor / 100).toFixed(2);

function variantShape(product: CatalogProduct, variant: CatalogVariant, position: number) {
  const title = variant.title || "Default Title";
  return {
    id: gid("variant", variant.id),
    title,
    displayName: `${product.title} - ${title}`,
    sku: variant.sku ?? null,
    price: money(variant.priceMinor),
    position,
    availableForSale: true,
    image: null,
    selectedOptions: [{ name: "Title", value: title }],
    product: { id: gid("product", product.id) },
  };
}

function productShape(product: CatalogProduct) {
  const images = product.imageUrl ? [{ id: gid("image", `${product.id}1`), altText: product.title, originalSrc: product.imageUrl }] : [];
  return {
    id: gid("product", product.id),
    title: product.title,
    handle: product.handle ?? handleOf(product.title),
    vendor: product.vendor ?? "",
    productType: product.productType ?? "",
    tags: product.tags ?? [],
    status: "ACTIVE",
    images,
    hasOnlyDefaultVariant: product.variants.length === 1,
    totalVariants: product.variants.length,
    options: [{ id: gid("product", `${product.id}0`).replace("Product", "ProductOption"), name: "Title", position: 1, values: product.variants.map((v) => v.title || "Default Title") }],
    variants: product.variants.map((variant, index) => variantShape(product, variant, index + 1)),
  };
}

function collectionShape(collection: CatalogCollection) {
  return {
    id: gid("collection", collection.id),
    title: collection.title,
    handle: collection.handle ?? handleOf(collection.title),
    image: null,
    productsCount: collection.productIds.length,
    description: "",
    descriptionHtml: "",
    sortOrder: "MANUAL",
  };
}

export type PickerResource = ReturnType<typeof productShape> | ReturnType<typeof variantShape> | ReturnType<typeof collectionShape>;

/**
 * The resources of `type` whose title contains every word of `query`
 * (case-insensitive), in the catalog's order, as App Bridge returns them.
 * Shopify's picker searches with its search syntax; a title match is what a
 * merchant typing a product's name relies on.
 */
export function searchCatalog(catalog: Catalog, type: PickerType, query: string): PickerResource[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (title: string) => words.every((word) => title.toLowerCase().includes(word));
  if (type === "collection") return catalog.collections.filter((c) => matches(c.title)).map(collectionShape);
  if (type === "variant") {
    return catalog.products.flatMap((product) =>
      product.variants.map((variant, index) => variantShape(product, variant, index + 1)).filter((variant) => matches(variant.displayName)),
    );
  }
  return catalog.products.filter((product) => matches(product.title)).map(productShape);
}

const fromGenerated = (product: GeneratedProduct): CatalogProduct => ({
  id: product.id,
  title: product.title,
  vendor: product.vendor,
  productType: product.productType,
  tags: product.tags,
  variants: [{ id: product.variantId, title: "Default Title", sku: product.sku, priceMinor: product.priceMinor }],
});

/**
 * The demo store's catalog: the generated store's products, and one collection
 * per product type (a shop's usual "Tea", "Skincare" collections), with ids
 * beside the products' own.
 */
export function demoCatalog(): Catalog {
  const day = new Date(Date.UTC(2026, 0, 1));
  const { products } = generateStore({ customers: 0, seed: 1, start: day, end: day });
  const types = [...new Set(products.map((product) => product.productType))];
  return {
    currencyCode: "USD",
    products: products.map(fromGenerated),
    collections: types.map((type, index) => ({
      id: String(9_200_000_000 + index + 1),
      title: type,
      productIds: products.filter((product) => product.productType === type).map((product) => product.id),
    })),
  };
}
