/** The API's OpenAPI registry (routers declare their operations) and the document built from it. */
export {
  type Access,
  describeRoutes,
  type HttpMethod,
  type OperationDoc,
  type OperationKey,
  routerDocs,
} from "./registry.ts";
export {
  type ApiMount,
  type DocumentedOperation,
  documentedOperations,
  openApiDocument,
  openApiPath,
} from "./document.ts";
