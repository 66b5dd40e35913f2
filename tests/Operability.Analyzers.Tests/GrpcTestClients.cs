using System.Linq;

namespace Operability.Analyzers.Tests
{
    /// <summary>
    /// gRPC clients written the way protoc's C# plugin (Grpc.Tools) generates them — a nested
    /// <c>partial class XClient : grpc::ClientBase&lt;XClient&gt;</c> with the headers/deadline/token and the
    /// <c>CallOptions</c> overloads — compiled against the real Grpc.Core.Api.
    /// </summary>
    internal static class GrpcTestClients
    {
        /// <summary>Message types (what Greet.cs holds), reduced to plain classes.</summary>
        public const string Messages = """
            namespace Greet
            {
                public sealed class HelloRequest { public string Name { get; set; } = ""; }
                public sealed class HelloReply { public string Message { get; set; } = ""; }
            }

            namespace Payments.V1
            {
                public sealed class AuthorizeRequest { public decimal Amount { get; set; } }
                public sealed class AuthorizeReply { public bool Approved { get; set; } }
            }
            """;

        /// <summary>GreetGrpc.cs as generated, without its <c>&lt;auto-generated&gt;</c> header.</summary>
        public const string Greeter = """
            namespace Greet
            {
                using grpc = global::Grpc.Core;

                public static partial class Greeter
                {
                    static readonly string __ServiceName = "greet.Greeter";

                    static readonly grpc::Marshaller<global::Greet.HelloRequest> __Marshaller_greet_HelloRequest = grpc::Marshallers.Create((global::Greet.HelloRequest m) => new byte[0], (byte[] b) => new global::Greet.HelloRequest());
                    static readonly grpc::Marshaller<global::Greet.HelloReply> __Marshaller_greet_HelloReply = grpc::Marshallers.Create((global::Greet.HelloReply m) => new byte[0], (byte[] b) => new global::Greet.HelloReply());

                    static readonly grpc::Method<global::Greet.HelloRequest, global::Greet.HelloReply> __Method_SayHello = new grpc::Method<global::Greet.HelloRequest, global::Greet.HelloReply>(grpc::MethodType.Unary, __ServiceName, "SayHello", __Marshaller_greet_HelloRequest, __Marshaller_greet_HelloReply);
                    static readonly grpc::Method<global::Greet.HelloRequest, global::Greet.HelloReply> __Method_SayHellos = new grpc::Method<global::Greet.HelloRequest, global::Greet.HelloReply>(grpc::MethodType.ServerStreaming, __ServiceName, "SayHellos", __Marshaller_greet_HelloRequest, __Marshaller_greet_HelloReply);
                    static readonly grpc::Method<global::Greet.HelloRequest, global::Greet.HelloReply> __Method_Chat = new grpc::Method<global::Greet.HelloRequest, global::Greet.HelloReply>(grpc::MethodType.DuplexStreaming, __ServiceName, "Chat", __Marshaller_greet_HelloRequest, __Marshaller_greet_HelloReply);

                    public partial class GreeterClient : grpc::ClientBase<GreeterClient>
                    {
                        public GreeterClient(grpc::ChannelBase channel) : base(channel) { }
                        public GreeterClient(grpc::CallInvoker callInvoker) : base(callInvoker) { }
                        protected GreeterClient() : base() { }
                        protected GreeterClient(ClientBaseConfiguration configuration) : base(configuration) { }

                        public virtual global::Greet.HelloReply SayHello(global::Greet.HelloRequest request, grpc::Metadata headers = null, global::System.DateTime? deadline = null, global::System.Threading.CancellationToken cancellationToken = default(global::System.Threading.CancellationToken))
                        {
                            return SayHello(request, new grpc::CallOptions(headers, deadline, cancellationToken));
                        }
                        public virtual global::Greet.HelloReply SayHello(global::Greet.HelloRequest request, grpc::CallOptions options)
                        {
                            return CallInvoker.BlockingUnaryCall(__Method_SayHello, null, options, request);
                        }
                        public virtual grpc::AsyncUnaryCall<global::Greet.HelloReply> SayHelloAsync(global::Greet.HelloRequest request, grpc::Metadata headers = null, global::System.DateTime? deadline = null, global::System.Threading.CancellationToken cancellationToken = default(global::System.Threading.CancellationToken))
                        {
                            return SayHelloAsync(request, new grpc::CallOptions(headers, deadline, cancellationToken));
                        }
                        public virtual grpc::AsyncUnaryCall<global::Greet.HelloReply> SayHelloAsync(global::Greet.HelloRequest request, grpc::CallOptions options)
                        {
                            return CallInvoker.AsyncUnaryCall(__Method_SayHello, null, options, request);
                        }
                        public virtual grpc::AsyncServerStreamingCall<global::Greet.HelloReply> SayHellos(global::Greet.HelloRequest request, grpc::Metadata headers = null, global::System.DateTime? deadline = null, global::System.Threading.CancellationToken cancellationToken = default(global::System.Threading.CancellationToken))
                        {
                            return SayHellos(request, new grpc::CallOptions(headers, deadline, cancellationToken));
                        }
                        public virtual grpc::AsyncServerStreamingCall<global::Greet.HelloReply> SayHellos(global::Greet.HelloRequest request, grpc::CallOptions options)
                        {
                            return CallInvoker.AsyncServerStreamingCall(__Method_SayHellos, null, options, request);
                        }
                        public virtual grpc::AsyncDuplexStreamingCall<global::Greet.HelloRequest, global::Greet.HelloReply> Chat(grpc::Metadata headers = null, global::System.DateTime? deadline = null, global::System.Threading.CancellationToken cancellationToken = default(global::System.Threading.CancellationToken))
                        {
                            return Chat(new grpc::CallOptions(headers, deadline, cancellationToken));
                        }
                        public virtual grpc::AsyncDuplexStreamingCall<global::Greet.HelloRequest, global::Greet.HelloReply> Chat(grpc::CallOptions options)
                        {
                            return CallInvoker.AsyncDuplexStreamingCall(__Method_Chat, null, options);
                        }
                        protected override GreeterClient NewInstance(ClientBaseConfiguration configuration)
                        {
                            return new GreeterClient(configuration);
                        }
                    }
                }
            }
            """;

        /// <summary>A second generated client (payments.v1.Payments), unary only.</summary>
        public const string Payments = """
            namespace Payments.V1
            {
                using grpc = global::Grpc.Core;

                public static partial class Payments
                {
                    static readonly grpc::Marshaller<global::Payments.V1.AuthorizeRequest> __Marshaller_AuthorizeRequest = grpc::Marshallers.Create((global::Payments.V1.AuthorizeRequest m) => new byte[0], (byte[] b) => new global::Payments.V1.AuthorizeRequest());
                    static readonly grpc::Marshaller<global::Payments.V1.AuthorizeReply> __Marshaller_AuthorizeReply = grpc::Marshallers.Create((global::Payments.V1.AuthorizeReply m) => new byte[0], (byte[] b) => new global::Payments.V1.AuthorizeReply());
                    static readonly grpc::Method<global::Payments.V1.AuthorizeRequest, global::Payments.V1.AuthorizeReply> __Method_Authorize = new grpc::Method<global::Payments.V1.AuthorizeRequest, global::Payments.V1.AuthorizeReply>(grpc::MethodType.Unary, "payments.v1.Payments", "Authorize", __Marshaller_AuthorizeRequest, __Marshaller_AuthorizeReply);

                    public partial class PaymentsClient : grpc::ClientBase<PaymentsClient>
                    {
                        public PaymentsClient(grpc::CallInvoker callInvoker) : base(callInvoker) { }
                        protected PaymentsClient(ClientBaseConfiguration configuration) : base(configuration) { }

                        public virtual grpc::AsyncUnaryCall<global::Payments.V1.AuthorizeReply> AuthorizeAsync(global::Payments.V1.AuthorizeRequest request, grpc::Metadata headers = null, global::System.DateTime? deadline = null, global::System.Threading.CancellationToken cancellationToken = default(global::System.Threading.CancellationToken))
                        {
                            return AuthorizeAsync(request, new grpc::CallOptions(headers, deadline, cancellationToken));
                        }
                        public virtual grpc::AsyncUnaryCall<global::Payments.V1.AuthorizeReply> AuthorizeAsync(global::Payments.V1.AuthorizeRequest request, grpc::CallOptions options)
                        {
                            return CallInvoker.AsyncUnaryCall(__Method_Authorize, null, options, request);
                        }
                        protected override PaymentsClient NewInstance(ClientBaseConfiguration configuration)
                        {
                            return new PaymentsClient(configuration);
                        }
                    }
                }
            }
            """;

        /// <summary>The generated file as the build sees it: nullable-oblivious, marked auto-generated.</summary>
        /// <summary>
        /// Client interceptors as services write them: one that sets a deadline when the caller gave none, one that
        /// maps exceptions (eShop's GrpcExceptionInterceptor), one that only reads the deadline, and one whose name
        /// promises a deadline its code never sets.
        /// </summary>
        public const string Interceptors = """
            using System;
            using Grpc.Core;
            using Grpc.Core.Interceptors;

            public sealed class DeadlineInterceptor : Interceptor
            {
                public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
                    TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
                {
                    if (context.Options.Deadline is null)
                    {
                        context = new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithDeadline(DateTime.UtcNow.AddSeconds(5)));
                    }

                    return continuation(request, context);
                }
            }

            public sealed class GrpcExceptionInterceptor : Interceptor
            {
                public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
                    TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
                    continuation(request, context);
            }

            public sealed class DeadlineLoggingInterceptor : Interceptor
            {
                public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
                    TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
                {
                    Console.WriteLine(context.Options.Deadline);
                    return continuation(request, context);
                }
            }

            public sealed class CompanyDeadlineInterceptor : Interceptor { }
            """;

        public const string GeneratedFile = "// <auto-generated>\n//     Generated by the protocol buffer compiler.  DO NOT EDIT!\n// </auto-generated>\n#pragma warning disable 0414, 1591, 8981, 0612\n#region Designer generated code\n" + Messages + "\n" + Greeter + "\n" + Payments + "\n#endregion\n";

        /// <summary>Grpc.Core.Api, the channel, the client factory and what AddGrpcClient needs.</summary>
        public static readonly string[] References = Operability.Analyzers.Tests.References.HttpResilience.Concat(new[] { "Grpc.Net.ClientFactory", "Grpc.Net.Client", "Grpc.Core.Api", "Grpc.Net.Common" }).ToArray();
    }
}
