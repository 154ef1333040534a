// PageSkeleton: what a page shows while the next one loads (Polaris
// SkeletonPage, https://polaris.shopify.com/components/feedback-indicators/skeleton-page).
//
//   // app/routes/app.tsx, around every page:
//   const loadingPage = usePageLoading();
//   {loadingPage ? <PageSkeleton /> : <Outlet />}
//
//   // a page's own slow part:
//   <PageSkeleton cards={1} primaryAction={false} />
//
// usePageLoading() is true while Remix loads ANOTHER page (a new pathname), after
// a short moment so a fast navigation does not flash; a search, a filter or a
// submission on the same page keeps the page (its list shows its own loading).
import { useNavigation } from "@remix-run/react";
import { BlockStack, Card, Layout, SkeletonBodyText, SkeletonDisplayText, SkeletonPage } from "@shopify/polaris";
import { useEffect, useState } from "react";

export function PageSkeleton({ cards = 2, primaryAction = true }: { cards?: number; primaryAction?: boolean }) {
  return (
    <SkeletonPage primaryAction={primaryAction}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {Array.from({ length: cards }, (_, index) => (
              <Card key={index}>
                <BlockStack gap="400">
                  <SkeletonDisplayText size="small" />
                  <SkeletonBodyText lines={index === 0 ? 4 : 3} />
                </BlockStack>
              </Card>
            ))}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </SkeletonPage>
  );
}

export function usePageLoading(delayMs = 150): boolean {
  const navigation = useNavigation();
  const changingPage = navigation.state === "loading" && navigation.location !== undefined && navigation.formMethod === undefined && navigation.location.pathname !== currentPathname();
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!changingPage) return setShown(false);
    const timer = setTimeout(() => setShown(true), delayMs);
    return () => clearTimeout(timer);
  }, [changingPage, delayMs]);
  return changingPage && shown;
}

const currentPathname = () => (typeof window === "undefined" ? "" : window.location.pathname);
